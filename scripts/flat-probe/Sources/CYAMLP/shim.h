#ifndef TENANTLINT_CYAML_SHIM_H
#define TENANTLINT_CYAML_SHIM_H
#include <yaml.h>
#endif
