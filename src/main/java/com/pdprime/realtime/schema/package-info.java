/**
 * Liquibase migration at start, before anything touches the database. Depends only on {@code
 * persistence}, to tell a statement its pool's timeout cancelled.
 */
package com.pdprime.realtime.schema;
