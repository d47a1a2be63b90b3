#include "io/run_spec.hpp"
