/**
 * JUnit 5 support: {@link io.reslot.sandbox.junit.WithLocalCluster} on a test class starts one
 * {@link io.reslot.sandbox.LocalCluster} for the whole class, hands it to every constructor, lifecycle method
 * and test method that declares a {@code LocalCluster} parameter, and closes it after the class.
 *
 * <p>This package needs {@code junit-jupiter-api} on the class path; the sandbox declares it as an optional
 * dependency, so test modules bring their own.
 */
package io.reslot.sandbox.junit;
