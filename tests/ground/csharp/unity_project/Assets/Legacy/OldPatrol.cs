using UnityEngine;
using System.Collections;

// Written for Unity 5.x: NavMeshAgent without its namespace, level loading before SceneManager.
public class OldPatrol : MonoBehaviour
{
    public Transform[] points;
    NavMeshAgent agent;
    ParticleSystem dust;
    int next;

    void Start()
    {
        agent = GetComponent<NavMeshAgent>();
        dust = transform.FindChild("Dust").GetComponent<ParticleSystem>();
        dust.startLifetime = 1.5f;
        dust.startColor = Color.gray;
    }

    void Update()
    {
        if (!agent.pathPending && agent.remainingDistance < 0.5f)
        {
            agent.SetDestination(points[next].position);
            next = (next + 1) % points.Length;
        }
        if (Input.GetKeyDown(KeyCode.R))
            Application.LoadLevel(Application.loadedLevel);
    }
}
