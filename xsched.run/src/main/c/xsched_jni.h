/*
 * The part of the JNI invocation API the agent start uses, declared here (prefixed xs_) so that
 * building the interposer needs no JDK headers. Function-table slots are the indices the JNI
 * specification fixes ("Interface Function Table"); src/test/c/check_headers.c asserts them
 * against the JDK's jni.h.
 */
#ifndef XSCHED_JNI_H
#define XSCHED_JNI_H

#include <stdint.h>

typedef int32_t xs_jint;
typedef xs_jint xs_jsize;
typedef unsigned char xs_jboolean;
typedef void *xs_jclass;
typedef struct xs_jmethod *xs_jmethodID;

/* One table pointer, as jni.h's JNIEnv and JavaVM in C: (*env)[slot] is a function. */
typedef void (*xs_jni_fn)(void);
typedef const xs_jni_fn *xs_JNIEnv;
typedef const xs_jni_fn *xs_JavaVM;

typedef struct {
    char *optionString;
    void *extraInfo;
} xs_JavaVMOption;

typedef struct {
    xs_jint version;
    xs_jint nOptions;
    xs_JavaVMOption *options;
    xs_jboolean ignoreUnrecognized;
} xs_JavaVMInitArgs;

#define XS_JNI_OK 0
#define XS_JNI_EEXIST (-5)
#define XS_JNI_VERSION_21 0x00150000

/* JNIEnv function table slots. */
#define XS_JNI_FIND_CLASS 6
#define XS_JNI_EXCEPTION_DESCRIBE 16
#define XS_JNI_EXCEPTION_CLEAR 17
#define XS_JNI_DELETE_LOCAL_REF 23
#define XS_JNI_GET_STATIC_METHOD_ID 113
#define XS_JNI_CALL_STATIC_VOID_METHOD_A 143
#define XS_JNI_EXCEPTION_CHECK 228

/* JavaVM (invocation interface) function table slots. */
#define XS_JNI_ATTACH_CURRENT_THREAD 4
#define XS_JNI_DETACH_CURRENT_THREAD 5

typedef xs_jint (*xs_JNI_CreateJavaVM_fn)(xs_JavaVM **vm, void **env, void *args);
typedef xs_jint (*xs_JNI_GetCreatedJavaVMs_fn)(xs_JavaVM **vms, xs_jsize size, xs_jsize *count);

#endif
