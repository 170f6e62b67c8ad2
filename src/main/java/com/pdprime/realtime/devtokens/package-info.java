/**
 * Development-only token minting, alive only when the development signing key is configured.
 * Depends on api.
 */
package com.pdprime.realtime.devtokens;
