#!/usr/bin/env bash
# Runs HERE (a machine with JDK 25 and Maven, no GPU needed): builds the CUDA backend (running its
# host tests) and packs everything the GPU machine needs into .devrt/ (git-ignored), since that
# machine has no Java and no network:
#   .devrt/xsched-*.tar.gz the self-contained runtime from ./xsched dist (jlinked Java 25 + xsched.jar);
#                          the GPU machine runs its bin/xsched demo and uses its Java for the tests
#   .devrt/lib/           api, core, host, hpf, cuda jars and their runtime needs (slf4j, osgi.core, assertj)
#   .devrt/junit/         junit-platform-console-standalone
#   .devrt/test-classes/  the cuda module's tests and benchmarks
# Then on the GPU machine: bash scripts/gpu-run.sh   (the device tool: carry [".devrt"]).
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
MVN=(./mvnw -B -q)
JUNIT_CONSOLE=org.junit.platform:junit-platform-console-standalone:1.12.2

# The whole reactor first, without tests, so the tarball's runtime (xsched.app's jar, which `dist`
# packs as it finds it) is never older than the sources: a stale one once carried policies from
# before a fix to the GPU machine.
./xsched build -o || ./xsched build
./xsched dist
for m in xsched.api xsched.core xsched.backend.host xsched.policy.hpf; do
    if [ ! -f "$HOME/.m2/repository/io/xsched/$m/0.1.0-SNAPSHOT/$m-0.1.0-SNAPSHOT.jar" ]; then
        echo "installing missing $m"
        "${MVN[@]}" -f "$m/pom.xml" install -DskipTests
    fi
done

"${MVN[@]}" -o -f xsched.backend.cuda/pom.xml install

rm -rf .devrt
mkdir -p .devrt/lib .devrt/junit
# Test-scope dependencies minus JUnit itself (the console launcher bundles its own engines, and a
# second copy on the class path would register the Jupiter engine twice).
"${MVN[@]}" -f xsched.backend.cuda/pom.xml dependency:copy-dependencies -DincludeScope=test \
    -DexcludeGroupIds=org.junit.jupiter,org.junit.platform,org.opentest4j,org.apiguardian,net.jqwik,net.bytebuddy \
    -DexcludeArtifactIds=org.osgi.annotation.bundle,org.osgi.annotation.versioning,osgi.annotation,org.osgi.service.component.annotations,org.osgi.service.metatype.annotations,org.osgi.namespace.extender,org.osgi.namespace.implementation \
    -DoutputDirectory="$PWD/.devrt/lib"
"${MVN[@]}" -f xsched.backend.cuda/pom.xml dependency:copy -Dartifact="$JUNIT_CONSOLE" \
    -DoutputDirectory="$PWD/.devrt/junit"
cp xsched.backend.cuda/target/xsched.backend.cuda-0.1.0-SNAPSHOT.jar .devrt/lib/
cp -r xsched.backend.cuda/target/test-classes .devrt/test-classes

cp dist/xsched-*.tar.gz .devrt/

# The OpenCL backend's tests and overhead benchmark, for NVIDIA's OpenCL on the GPU machine (gpu-run.sh registers its ICD)
"${MVN[@]}" -o -f xsched.backend.fpga/pom.xml install -DskipTests
mkdir -p .devrt/fpga/lib
"${MVN[@]}" -f xsched.backend.fpga/pom.xml dependency:copy-dependencies -DincludeScope=test \
    -DexcludeGroupIds=org.junit.jupiter,org.junit.platform,org.opentest4j,org.apiguardian,net.jqwik,net.bytebuddy \
    -DexcludeArtifactIds=org.osgi.annotation.bundle,org.osgi.annotation.versioning,osgi.annotation,org.osgi.service.component.annotations,org.osgi.service.metatype.annotations,org.osgi.namespace.extender,org.osgi.namespace.implementation \
    -DoutputDirectory="$PWD/.devrt/fpga/lib"
cp xsched.backend.fpga/target/xsched.backend.fpga-0.1.0-SNAPSHOT.jar .devrt/fpga/lib/
cp -r xsched.backend.fpga/target/test-classes .devrt/fpga/test-classes

# xsched run's unmodified test programs, compiled here (nvcc is on this machine; the GPU machine builds nothing)
NVCC=${NVCC:-/usr/local/cuda/bin/nvcc}
if [ -x "$NVCC" ]; then
    mkdir -p .devrt/xrun
    for p in xrun_check xrun_load; do
        "$NVCC" -O2 -arch=sm_90 -std=c++17 -o ".devrt/xrun/$p" "xsched.run/src/test/cuda/$p.cu"
    done
    cp xsched.run/src/test/python/torch_check.py xsched.run/src/test/python/jit_summary.py xsched.run/src/test/python/bg_overlap.py .devrt/xrun/
else
    echo "warning: no nvcc at $NVCC: .devrt/xrun (xsched run on the GPU) is not built" >&2
fi

# async-profiler, for gpu-xrun.sh's profile part: CPU samples with native frames in a program under xsched run
# (optional: without it that part says it did not run)
if "${MVN[@]}" dependency:copy -Dartifact=tools.profiler:async-profiler:4.6 -DoutputDirectory="$PWD/.devrt/ap" \
        && (cd .devrt/ap && unzip -q -j -o async-profiler-4.6.jar linux-x64/libasyncProfiler.so && rm async-profiler-4.6.jar); then
    :
else
    rm -rf .devrt/ap
    echo "warning: async-profiler not packed (.devrt/ap): gpu-xrun.sh's profile part will not run" >&2
fi

du -sh .devrt .devrt/* | sed 's/^/  /'
ls .devrt/lib .devrt/junit | sed 's/^/  /'
