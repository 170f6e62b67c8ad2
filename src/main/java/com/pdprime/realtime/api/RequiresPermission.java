package com.pdprime.realtime.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A REST method (or every method of a resource) needs a verified token carrying one of these
 * permissions; {@link PermissionFilter} enforces it. Ours rather than {@code @RolesAllowed}, which
 * Payara also hands to its servlet security and answers with an HTML Basic-auth challenge.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface RequiresPermission {
  String[] value();
}
