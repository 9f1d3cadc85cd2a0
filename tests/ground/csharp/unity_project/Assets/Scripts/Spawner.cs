using System.Collections;
using System.Collections.Generic;
using UnityEngine;

public class Spawner : MonoBehaviour
{
    [SerializeField] EnemyConfig config;
    readonly List<Health> alive = new List<Health>();

    IEnumerator Start()
    {
        while (enabled)
        {
            for (int i = 0; i < config.burst; i++)
            {
                GameObject enemy = Instantiate(config.prefab, transform.position, Quaternion.identity);
                Health health = enemy.GetComponent<Health>();
                health.Changed += hp => { if (hp == 0) alive.Remove(health); };
                alive.Add(health);
            }
            yield return new WaitForSeconds(config.interval);
        }
    }

    public void HitAll(int amount)
    {
        foreach (Health health in alive.ToArray())
            health.Damage(amount);
    }
}
