/**
 * The REST application ({@code /api/v1}): bearer-token authentication and permission checks with
 * the socket's verifier, and the error body every resource shares. Depends on security and
 * monitoring.
 */
package com.pdprime.realtime.api;
