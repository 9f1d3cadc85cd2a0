/**
 * Every actor: DEFINE_ACTOR(overlay name, enum value, allocation)
 * No include guard: the includer defines DEFINE_ACTOR first.
 */
DEFINE_ACTOR(Player, ACTOR_PLAYER, 0)
DEFINE_ACTOR(En_Bird, ACTOR_EN_BIRD, 1)
DEFINE_ACTOR(En_Perch, ACTOR_EN_PERCH, 1)
DEFINE_ACTOR(En_Hop, ACTOR_EN_HOP, 2)
