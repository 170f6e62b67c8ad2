/**
 * Carries committed room events between instances over a JMS topic. Depends on rooms and on
 * websocket's channels, which it feeds.
 */
package com.pdprime.realtime.relay;
