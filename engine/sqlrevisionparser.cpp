#include "sqlrevisionparser.h"
