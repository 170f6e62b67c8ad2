/**
 * JPA plumbing shared by every feature's entities: type converters, and the count of the JDBC
 * connections the persistence unit holds and waits for; no entities or queries.
 */
package com.pdprime.realtime.persistence;
