-- sqlite/schema.sql spelled differently: quoted names, other keyword and type case, other spacing, a
-- parenthesised default, a "double-quoted" default string, DEFAULT NULL, REFERENCES without a column list. Its snapshot must equal schema.sql's.
create table "locations" (
    "id" integer primary key,
    [site_code] varchar( 16 ) not null unique,
    `name` varchar(100) not null,
    timezone varchar(64) not null default ('UTC'),
    created_at timestamp not null default current_timestamp,
    rating integer default (3),
    notes text default null
);

create table devices (
    id integer not null primary key autoincrement, -- NOT NULL changes nothing on a rowid alias
    serial_number varchar(64) not null,
    location_id integer references "locations" on delete cascade,
    status varchar(16) not null default "active" check (status in('active','retired')),
    weight real default 1.5 ,
    model varchar(64) default null,
    replaced_by integer,
    active boolean not null default true,
    constraint uq_devices_serial_number unique (serial_number)
);

create unique index "ix_devices_model_status" on devices ("model", "status");
create index ix_devices_location_id on devices(location_id);

create table device_tags (
    device_id integer not null references devices (id) on delete cascade,
    tag varchar(32) not null,
    added_at timestamp not null,
    constraint ck_device_tags_tag check ( ( LENGTH(tag) > 0 ) ),
    primary key ("device_id", tag)
);

create index ix_device_tags_lower_tag on device_tags (LOWER( tag ) desc) where (added_at is not null);

create view "active_devices" as select d.id, d.serial_number, l.name as location
    from devices as d join locations as l on l.id = d.location_id /* only the active ones */
    where d.status = 'active';
