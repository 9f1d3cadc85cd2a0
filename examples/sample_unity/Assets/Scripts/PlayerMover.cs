using UnityEngine;

namespace SampleGame.Player
{
    /// <summary>
    /// Moves the player character on the ground plane from keyboard or stick input.
    /// </summary>
    [RequireComponent(typeof(CharacterController))]
    public class PlayerMover : MonoBehaviour
    {
        /// <summary>Walking speed in metres per second.</summary>
        [SerializeField] private float walkSpeed = 4.5f;

        [SerializeField] private float turnSpeed = 720f; // degrees per second

        private CharacterController controller;

        /// <summary>
        /// True while the player is touching the ground.
        /// </summary>
        public bool IsGrounded { get; private set; }

        /// <summary>The speed the player moved at during the last frame.</summary>
        public float CurrentSpeed => controller != null ? controller.velocity.magnitude : 0f;

        private void Awake()
        {
            controller = GetComponent<CharacterController>();
        }

        private void Update()
        {
            Vector3 input = new Vector3(Input.GetAxis("Horizontal"), 0f, Input.GetAxis("Vertical"));
            Move(input, Time.deltaTime);
        }

        /// <summary>
        /// Moves and turns the player towards <paramref name="direction"/>.
        /// </summary>
        /// <param name="direction">Desired direction; its length is clamped to 1.</param>
        /// <param name="deltaTime">Seconds since the last frame.</param>
        public void Move(Vector3 direction, float deltaTime)
        {
            direction = Vector3.ClampMagnitude(direction, 1f);
            if (direction.sqrMagnitude > 0.001f)
            {
                Quaternion target = Quaternion.LookRotation(direction);
                transform.rotation = Quaternion.RotateTowards(transform.rotation, target, turnSpeed * deltaTime);
            }
            controller.SimpleMove(direction * walkSpeed);
            IsGrounded = controller.isGrounded;
        }

        // Returns how far the player could walk in the given time at full speed.
        public static float MaxDistance(float speed, float seconds)
        {
            return speed * seconds;
        }
    }
}
