/**
 * JPA plumbing shared by every feature's entities: type converters only, no entities or queries.
 */
package com.pdprime.realtime.persistence;
