/** Quotes and customers, and the access rule of `quote:` rooms. Depends on rooms and security. */
package com.pdprime.realtime.quotes;
