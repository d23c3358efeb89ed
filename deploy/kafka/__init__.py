"""The local Kafka broker (Maven Central jars, KRaft) and topic provisioning.

See :mod:`deploy.kafka.broker`.
"""
