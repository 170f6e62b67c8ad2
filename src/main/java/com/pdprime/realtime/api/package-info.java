/**
 * The REST application ({@code /api/v1}): bearer-token authentication and permission checks with
 * the socket's verifier, and what every resource shares: the error body, the strict JSON body
 * reader and response writer, the body cap, the exception mappers that keep every error JSON, and
 * the {@code Idempotency-Key}s of REST writes. Depends on security, monitoring, and protocol for
 * the JSON parsers.
 */
package com.pdprime.realtime.api;
