/**
 * The wire format: client commands and their parser, server frames and their one encoder, error and
 * close codes. Depends on rooms for room names only.
 */
package com.pdprime.realtime.protocol;
