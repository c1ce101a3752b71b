/*
 * Counts the fake device's driver calls by entry point, for scripts/xrun-launch-cost.sh: linked
 * into libcuda.so.1 when fake_device.c is compiled with -finstrument-functions (build-fake-device.sh
 * with FAKE_CALL_COUNTS=1), it is told every function entry, keeps those of exported cu* functions,
 * and at exit prints "fake device calls: cuLaunchKernel 200000, ..." on stderr. A diagnostic: the
 * fake answers at once, so what a call costs on a real driver shows only as how often it is made.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define SLOTS 256

static struct { void *fn; long calls; } counts[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

__attribute__((no_instrument_function)) void __cyg_profile_func_enter(void *fn, void *caller);
__attribute__((no_instrument_function)) void __cyg_profile_func_exit(void *fn, void *caller);

void __cyg_profile_func_enter(void *fn, void *caller)
{
    (void)caller;
    size_t h = ((size_t)fn >> 4) % SLOTS;
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < SLOTS; i++) {
        size_t s = (h + i) % SLOTS;
        if (counts[s].fn == fn || counts[s].fn == NULL) {
            counts[s].fn = fn;
            counts[s].calls++;
            break;
        }
    }
    pthread_mutex_unlock(&lock);
}

void __cyg_profile_func_exit(void *fn, void *caller)
{
    (void)fn;
    (void)caller;
}

__attribute__((destructor, no_instrument_function)) static void print_counts(void)
{
    fprintf(stderr, "fake device calls:");
    for (size_t i = 0; i < SLOTS; i++) {
        Dl_info info;
        if (counts[i].fn != NULL && dladdr(counts[i].fn, &info) != 0 && info.dli_sname != NULL
            && strncmp(info.dli_sname, "cu", 2) == 0 && info.dli_saddr == counts[i].fn)
            fprintf(stderr, " %s %ld", info.dli_sname, counts[i].calls);
    }
    fprintf(stderr, "\n");
}
