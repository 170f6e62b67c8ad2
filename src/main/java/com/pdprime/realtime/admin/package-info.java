/**
 * Admin views of the running system over REST: connection records so far. Reads the other features'
 * entities; nothing depends on this package.
 */
package com.pdprime.realtime.admin;
