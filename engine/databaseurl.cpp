#include "databaseurl.h"
