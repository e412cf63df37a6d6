"""Field encryption for every app: key holders, their data keys, sealing and rotation.

`keys.py`: a key holder is a row with its own data key, wrapped by the master key; the
registry of holder models and `rotate_master_key` over all of them. `sealing.py`: a
`Sealer` per holder model encrypts that row's fields (and its child rows' fields) with
associated data that binds each ciphertext to its place. The primitives (master keys,
AES-GCM, keyed hashes) are in `core/crypto.py`.
"""
