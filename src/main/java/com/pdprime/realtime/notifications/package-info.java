/**
 * Notifications (issue 15): a personal inbox per subject, delivered as durable {@code notification}
 * events on {@code user:{subject}}, held for a customer's business window, collapsed, muted by
 * preference, rate-limited per recipient. The model (business hours, delivery rules, validation) is
 * pure; the REST resources, the socket commands and the release job sit at the edges. Depends on
 * the engine only through its seams (rooms/PublishService, websocket/FeatureCommands) and on quotes
 * for the quote events it turns into notifications and the customer's US state.
 */
package com.pdprime.realtime.notifications;
