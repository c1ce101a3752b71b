/**
 * In-framework tests of the xsched runtime: JUnit 5 tests that the bnd junit-platform tester runs
 * inside Felix with the embedded runtime's bundles. Not exported.
 */
package xsched.itest;
