using UnityEngine;

namespace SampleGame.Items
{
    /// <summary>
    /// Kinds of coin, each worth a different amount.
    /// </summary>
    public enum CoinKind
    {
        Copper = 1,
        Silver = 5,
        Gold = 20
    }

    /// <summary>
    /// A coin that adds to the score when the player walks into it.
    /// </summary>
    public class CoinPickup : MonoBehaviour
    {
        /// <summary>Which coin this is.</summary>
        public CoinKind kind = CoinKind.Copper;

        /// <summary>Degrees per second the coin spins while waiting.</summary>
        public float spinSpeed = 90f;

        private static int collectedCount;

        /// <summary>How many coins were picked up since the scene loaded.</summary>
        public static int CollectedCount
        {
            get { return collectedCount; }
        }

        private void Update()
        {
            transform.Rotate(0f, spinSpeed * Time.deltaTime, 0f);
        }

        /// <summary>
        /// Called by Unity when another collider enters this trigger.
        /// </summary>
        private void OnTriggerEnter(Collider other)
        {
            if (!other.CompareTag("Player"))
            {
                return;
            }
            collectedCount++;
            ScoreBoard.Instance.Add((int)kind);
            Destroy(gameObject);
        }
    }
}
