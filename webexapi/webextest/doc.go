// Package webextest is a fake Webex: REST under /v1/, device registration, the Mercury
// websocket, webhook delivery, and meetings with host keys, all in memory, with fault injection
// and a control API under /_sim/. It follows Webex's documented behaviour and the OpenAPI
// contract. Tests, `relais demo` and `relais fake-webex` use it. Instances share nothing.
package webextest
