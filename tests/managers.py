"""Holds the JWTManager a test made active (``JWT_MANAGER = "tests.managers.active"``)."""

from django_jwt_ext import JWTManager

active = JWTManager()
