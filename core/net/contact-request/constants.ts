/** weshnet contact_request_manager.go `contactRequestV1`. */
export const CONTACT_REQUEST_PROTOCOL = '/wesh/contact_req/1.0.0'
/** Deadline for one whole exchange (handshake + contact frame), either side. */
export const DEFAULT_CONTACT_REQUEST_TIMEOUT_MS = 30_000
/** Concurrent inbound contact-request streams per connection. */
export const DEFAULT_MAX_INBOUND_STREAMS = 4
