/**
 * Code that runs as part of the server, not the WAR: what the HTTP listener loads at boot, before
 * any request reaches the application (the request header deadline, HeaderDeadlineFilter with
 * HttpOnlyFinder, and H2cOfferFilter, which serves an HTTP/2 cleartext upgrade offer as HTTP/1.1),
 * and PooledBufferThreads, Grizzly worker threads the application's socket writers run on. Packaged
 * as its own jar (pdprime-realtime-container.jar, passed to Payara Micro with --addLibs) and left
 * out of the WAR. Depends on Grizzly only, never on the application, which is deployed after the
 * listener is built.
 */
package com.pdprime.realtime.container;
