// Package remote carries agent sessions between an AgentDesk contact center
// and its agents over HTTP: Server exposes a center's sessions, Dial returns a
// core.Backend on the agent's machine. Snapshots flow as server-sent events;
// commands are JSON posts, each with an id so that a retry after a dropped
// connection is carried out once. It imports core but neither Fyne nor malgo.
//
// The protocol, version 1:
//
//	POST   /v1/sessions                  {"login"}      → {"session"}
//	GET    /v1/sessions/{id}/snapshots   ?after=SEQ     → text/event-stream of core.Snapshot
//	POST   /v1/sessions/{id}/commands    {"id","command"} → {"result"} | {"error"}
//	DELETE /v1/sessions/{id}                            → the agent's session ends
//
// Every request carries "Authorization: Bearer TOKEN" when the server has a
// token. Refusals come back as {"error":{"type","message"}} with the center's
// own type names, so a refusal over the network reads like one in process.
package remote
