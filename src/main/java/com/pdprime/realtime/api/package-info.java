/**
 * The REST application (`/api/v1`, MicroProfile JWT) and the error body every resource shares.
 * Depends on security for permission names only.
 */
package com.pdprime.realtime.api;
