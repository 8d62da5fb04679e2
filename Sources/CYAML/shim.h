#ifndef SECRETCTL_CYAML_SHIM_H
#define SECRETCTL_CYAML_SHIM_H
#include <yaml.h>
#endif
