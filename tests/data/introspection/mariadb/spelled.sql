-- mariadb/schema.sql spelled differently: backquoted names, int4 and int(11) for INTEGER, other keyword and
-- type case, other spacing, NOW() for CURRENT_TIMESTAMP, a parenthesised default, a "double-quoted" string,
-- bool and 1 for BOOLEAN and TRUE, DEFAULT NULL, double for REAL. Its snapshot must equal schema.sql's.
create table `locations` (
    `id` int4 primary key,
    `site_code` varchar( 16 ) not null unique,
    name varchar(100) not null,
    timezone varchar(64) not null default 'UTC',
    created_at timestamp not null default now(),
    rating int(11) default (3),
    notes text default null
);

create table devices (
    id int(11) primary key auto_increment,
    serial_number varchar(64) not null,
    location_id int4 references `locations` (`id`) on delete cascade,
    status varchar(16) not null default "active" check (status in('active','retired')),
    weight double default 1.5,
    model varchar(64),
    replaced_by integer,
    active bool not null default 1,
    constraint `uq_devices_serial_number` unique (serial_number)
);

create unique index `ix_devices_model_status` on devices (`model`, `status`);
create index ix_devices_location_id on devices(location_id);

create table device_tags (
    device_id integer not null references devices (id) on delete cascade,
    tag varchar(32) not null,
    added_at timestamp not null,
    primary key (`device_id`, tag),
    constraint ck_device_tags_tag check ( ( LENGTH(tag) > 0 ) )
);

create index ix_device_tags_lower_tag on device_tags (tag desc);

create view `active_devices` as select d.id, d.serial_number, l.name as location
    from devices as d join locations as l on l.id = d.location_id /* only the active ones */
    where d.status = 'active';
