/** Liquibase migration at start, before anything touches the database. Depends on nothing else. */
package com.pdprime.realtime.schema;
