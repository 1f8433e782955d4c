#!/usr/bin/env bash
# Authenticode-signs a Windows executable in place with osslsigncode.
#
#   SIGN_CERT=cert.pem SIGN_KEY=key.pem [SIGN_PASS=...] scripts/package/sign.sh file.exe
#   SIGN_PKCS12=cert.p12 SIGN_PASS=... scripts/package/sign.sh file.exe
#
# SIGN_CERT: the certificate (chain), PEM or DER; SIGN_KEY: its private key
# (PEM or DER; SIGN_PASS if it is encrypted). Or SIGN_PKCS12: a .p12/.pfx with
# both, SIGN_PASS its password. SIGN_TIMESTAMP_URL: an RFC 3161 timestamp
# server, so that the signature outlives the certificate (optional; needs the
# network). The signature is SHA-256, named "AgentDesk".
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# -eq 1 && -f $1 ]] || pkg_die "usage: $0 file.exe (with SIGN_CERT and SIGN_KEY, or SIGN_PKCS12, set)"
exe=$1
command -v osslsigncode >/dev/null || pkg_die "osslsigncode not found: run scripts/deps.sh package"
args=(sign -h sha256 -n AgentDesk)
if [[ -n ${SIGN_PKCS12:-} ]]; then
	[[ -r $SIGN_PKCS12 ]] || pkg_die "SIGN_PKCS12=$SIGN_PKCS12 is not a readable file"
	args+=(-pkcs12 "$SIGN_PKCS12")
else
	[[ -n ${SIGN_CERT:-} && -n ${SIGN_KEY:-} ]] || pkg_die "set both SIGN_CERT and SIGN_KEY (or SIGN_PKCS12)"
	[[ -r $SIGN_CERT ]] || pkg_die "SIGN_CERT=$SIGN_CERT is not a readable file"
	[[ -r $SIGN_KEY ]] || pkg_die "SIGN_KEY=$SIGN_KEY is not a readable file"
	args+=(-certs "$SIGN_CERT" -key "$SIGN_KEY")
fi
[[ -n ${SIGN_PASS:-} ]] && args+=(-pass "$SIGN_PASS")
[[ -n ${SIGN_TIMESTAMP_URL:-} ]] && args+=(-ts "$SIGN_TIMESTAMP_URL")
echo "==> osslsigncode sign $exe" >&2
rm -f "$exe.signed"
if ! osslsigncode "${args[@]}" -in "$exe" -out "$exe.signed" >"$exe.sign.log" 2>&1; then
	cat "$exe.sign.log" >&2
	rm -f "$exe.signed" "$exe.sign.log"
	pkg_die "osslsigncode could not sign $exe"
fi
rm -f "$exe.sign.log"
mv -f "$exe.signed" "$exe"
