#pragma once

#include "databaseurl.h"
#include "ddlwriter.h"
#include "expected.h"

namespace qmigrate {

class Project;

// `create --autogenerate`: the DDL between the schema the database has (or would have) and the schema.sql
// model. The current side is the revisions replayed up to heads on a scratch database of the URL's backend,
// or, with fromDatabase, the database at url as it is; the desired side is schema.sql applied to another
// scratch database. Both are read back with SchemaIntrospector and written out by DdlWriter (its review
// notes included). Blocks on the server: run it off the UI thread.
class Autogenerator
{
public:
    static Expected<MigrationDraft> draft(const Project &project, const DatabaseUrl &url, bool fromDatabase);
};

} // namespace qmigrate
