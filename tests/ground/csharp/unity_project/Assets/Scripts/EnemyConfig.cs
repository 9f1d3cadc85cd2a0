using UnityEngine;

[CreateAssetMenu(menuName = "Enemies/Config")]
class EnemyConfig : ScriptableObject
{
    public GameObject prefab;
    public float interval = 2f;
    internal int burst = 3;
}
