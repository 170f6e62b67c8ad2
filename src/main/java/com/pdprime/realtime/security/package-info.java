/**
 * Who a caller is: JWT verification (RS256, issuer, audience, time) configured by mp.jwt.verify.*,
 * and permission names. Depends on nothing else.
 */
package com.pdprime.realtime.security;
