import GnomonCore
