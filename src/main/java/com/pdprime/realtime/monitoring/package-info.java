/** Metrics of the real-time engine, in one place. Depends on nothing else in the application. */
package com.pdprime.realtime.monitoring;
