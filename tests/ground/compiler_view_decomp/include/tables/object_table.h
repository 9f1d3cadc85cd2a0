/* DEFINE_OBJECT(segment name, enum value) */
DEFINE_OBJECT(gameplay_common, OBJECT_GAMEPLAY_COMMON)
DEFINE_OBJECT(object_bird, OBJECT_BIRD)
DEFINE_OBJECT(object_perch, OBJECT_PERCH)
