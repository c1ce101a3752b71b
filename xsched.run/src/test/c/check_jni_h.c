/* Compiled, never run: xsched_jni.h's slots and structures must match the JDK's jni.h. */
#include <jni.h>
#include <stddef.h>

#include "xsched_jni.h"

#define XS_SLOT(table, field, slot)                                             \
    _Static_assert(offsetof(struct table, field) == (slot) * sizeof(void *), \
                   #field " is not slot " #slot);

XS_SLOT(JNINativeInterface_, FindClass, XS_JNI_FIND_CLASS)
XS_SLOT(JNINativeInterface_, ExceptionDescribe, XS_JNI_EXCEPTION_DESCRIBE)
XS_SLOT(JNINativeInterface_, ExceptionClear, XS_JNI_EXCEPTION_CLEAR)
XS_SLOT(JNINativeInterface_, DeleteLocalRef, XS_JNI_DELETE_LOCAL_REF)
XS_SLOT(JNINativeInterface_, GetStaticMethodID, XS_JNI_GET_STATIC_METHOD_ID)
XS_SLOT(JNINativeInterface_, CallStaticVoidMethodA, XS_JNI_CALL_STATIC_VOID_METHOD_A)
XS_SLOT(JNINativeInterface_, ExceptionCheck, XS_JNI_EXCEPTION_CHECK)
XS_SLOT(JNIInvokeInterface_, AttachCurrentThread, XS_JNI_ATTACH_CURRENT_THREAD)
XS_SLOT(JNIInvokeInterface_, DetachCurrentThread, XS_JNI_DETACH_CURRENT_THREAD)

_Static_assert(JNI_OK == XS_JNI_OK && JNI_EEXIST == XS_JNI_EEXIST, "JNI codes");
_Static_assert(JNI_VERSION_21 == XS_JNI_VERSION_21, "JNI_VERSION_21");
_Static_assert(sizeof(jint) == sizeof(xs_jint) && sizeof(jboolean) == sizeof(xs_jboolean), "jint");
_Static_assert(sizeof(JavaVMOption) == sizeof(xs_JavaVMOption)
                   && offsetof(JavaVMOption, extraInfo) == offsetof(xs_JavaVMOption, extraInfo),
               "JavaVMOption");
_Static_assert(sizeof(JavaVMInitArgs) == sizeof(xs_JavaVMInitArgs)
                   && offsetof(JavaVMInitArgs, nOptions) == offsetof(xs_JavaVMInitArgs, nOptions)
                   && offsetof(JavaVMInitArgs, options) == offsetof(xs_JavaVMInitArgs, options)
                   && offsetof(JavaVMInitArgs, ignoreUnrecognized)
                          == offsetof(xs_JavaVMInitArgs, ignoreUnrecognized),
               "JavaVMInitArgs");
