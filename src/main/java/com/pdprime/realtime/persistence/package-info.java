/**
 * JPA and JDBC plumbing shared by every feature: type converters, the count of the JDBC connections
 * the persistence unit holds and waits for, and the one way to run a statement per row as a JDBC
 * batch; no entities or queries.
 */
package com.pdprime.realtime.persistence;
