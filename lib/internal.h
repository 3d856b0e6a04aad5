/*
 * internal.h - what the library's own files share; never installed
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef MRELEASE_INTERNAL_H
#define MRELEASE_INTERNAL_H

#include "mrelease.h"

/* Every exported function is marked; everything else is hidden by
 * -fvisibility=hidden, and lib/libmrelease.map lists the exports again. */
#define MRELEASE_EXPORT __attribute__((visibility("default")))

#endif /* MRELEASE_INTERNAL_H */
