#ifndef ACTOR_ID_H
#define ACTOR_ID_H

#define DEFINE_ACTOR(_name, enumValue, _alloc) enumValue,

typedef enum ActorId {
    #include "tables/actor_table.h"
    ACTOR_ID_MAX
} ActorId;

#undef DEFINE_ACTOR

#define DEFINE_OBJECT(_segment, enumValue) enumValue,

typedef enum ObjectId {
    #include "tables/object_table.h"
    OBJECT_ID_MAX
} ObjectId;

#undef DEFINE_OBJECT

#endif
