package applog

import (
	"log/slog"
	"regexp"
	"strings"
	"unicode"
)

// Redacted replaces the value of a secret.
const Redacted = "[redacted]"

// secretWords are the words of a key that make its value secret.
var secretWords = map[string]bool{
	"password": true, "passwd": true, "passphrase": true, "pass": true, "pwd": true,
	"secret": true, "token": true, "key": true, "apikey": true, "pin": true,
	"credential": true, "credentials": true, "auth": true, "authorization": true,
	"cookie": true, "otp": true, "signature": true, "sig": true,
}

// SecretKey reports whether a setting or log key names a secret: one of its
// words (split at punctuation and camelCase) is password, secret, token,
// key, pin, credential, auth, cookie and the like. "device.speaker" is not;
// "center.apiKey" and "sip_password" are.
func SecretKey(key string) bool {
	for _, w := range words(key) {
		if secretWords[w] {
			return true
		}
	}
	return false
}

// words splits "center.apiKey" into center, api, key.
func words(key string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(key)
	for i, r := range rs {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
		case unicode.IsUpper(r) && len(cur) > 0 &&
			(unicode.IsLower(cur[len(cur)-1]) || (i+1 < len(rs) && unicode.IsLower(rs[i+1]))):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	return out
}

// redactAttr is the log handlers' ReplaceAttr.
func redactAttr(_ []string, a slog.Attr) slog.Attr {
	if SecretKey(a.Key) && a.Value.Kind() != slog.KindGroup {
		return slog.String(a.Key, Redacted)
	}
	return a
}

// RedactValues copies settings, replacing the values of secret keys, in
// nested maps too.
func RedactValues(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		switch {
		case SecretKey(k):
			out[k] = Redacted
		default:
			if sub, ok := v.(map[string]any); ok {
				v = RedactValues(sub)
			}
			out[k] = v
		}
	}
	return out
}

// logPair is key=value in slog's text format, the value quoted or bare.
var logPair = regexp.MustCompile(`([\p{L}\p{N}_.\-]+)=("(?:[^"\\]|\\.)*"|\S*)`)

// RedactText replaces the values of secret keys in key=value text, such as
// log lines written before a key was known to be secret.
func RedactText(s string) string {
	return logPair.ReplaceAllStringFunc(s, func(pair string) string {
		m := logPair.FindStringSubmatch(pair)
		if !SecretKey(m[1]) {
			return pair
		}
		return m[1] + "=" + Redacted
	})
}
