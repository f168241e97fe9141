#include "revisionformatter.h"
