#include "autogenerator.h"

#include "project.h"
#include "schemabuilder.h"

namespace qmigrate {

Expected<MigrationDraft> Autogenerator::draft(const Project &project, const DatabaseUrl &url,
                                              bool fromDatabase)
{
    Expected<SchemaSnapshot> desired = SchemaBuilder::fromModel(project, url);
    if (!desired)
        return desired.error();
    Expected<SchemaSnapshot> current =
        fromDatabase ? SchemaBuilder::fromDatabase(project, url) : SchemaBuilder::fromRevisions(project, url);
    if (!current)
        return current.error();
    return DdlWriter::write(*current, *desired, url.backend());
}

} // namespace qmigrate
