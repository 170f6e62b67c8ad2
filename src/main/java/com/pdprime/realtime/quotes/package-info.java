/**
 * Quotes and customers, the access rule and snapshot of `quote:` rooms, and the quote commands of
 * the socket (through the engine's FeatureCommands). Depends on rooms, protocol, websocket's
 * feature interfaces, security, and api for the REST resource's error bodies. A premium's validity
 * and expiry (QuoteExpiry) live here too; quote milestones are announced as CDI events
 * (QuoteMilestone) that notifications observe, so quotes never imports notifications.
 */
package com.pdprime.realtime.quotes;
