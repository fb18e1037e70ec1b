// Torch's random generator is process-wide: tests that seed it and compare runs must not interleave with other tests
// drawing from it, and on a 2-core machine parallel test classes only oversubscribe torch's own threads.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
