#include "pythonrevisionparser.h"
