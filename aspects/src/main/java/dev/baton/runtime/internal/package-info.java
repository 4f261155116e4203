/**
 * Internal: not part of Baton's public API, and no user code should call it.
 *
 * <p>It is, though, a <b>binary contract with every woven class</b>: the code Baton's processor
 * generates (the {@code *_BatonSpans} classes and {@code *_BatonAspect} aspects) and the library
 * aspects of {@code dev.baton.aspects}, inlined into users' classes by {@code baton:weave}, call
 * the public members of a documented set of classes here (listed in {@code
 * WovenContractTest.CONTRACT}: {@code TracedMethods}, {@code AttributeValues}, {@code Failures},
 * {@code GlobalRegistrations}, {@code lambda.LambdaInvocation}, {@code lambda.LambdaExtension},
 * {@code lambda.MessageSpans}, {@code lambda.SdkMessageSpans}, {@code sdk.BuiltInTelemetry},
 * {@code sdk.AutoConfiguredTelemetry}, {@code sdk.SdkRegistrations}, {@code logs.Slf4jTraceIds},
 * {@code logs.Log4jTraceIds}, and the call-site classes of {@code aws} and {@code http}). Classes
 * woven by an earlier Baton of the same minor version call them, so within a minor version they
 * stay binary compatible: members are added, never removed or changed. The test lists them all
 * against {@code aspects/src/test/resources/woven-contract.txt} and checks that the library
 * aspects call nothing else, so that a change to the contract is always a deliberate one.
 */
package dev.baton.runtime.internal;
