package io.nearline.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Provides the real local services to {@link RealServices} test classes: uses running ones, starts
 * missing ones once per test run (and stops those at its end), and gives each class a fresh
 * {@link TestServices}. Set {@code NEARLINE_KEEP_SERVICES=true} to leave started services running.
 */
public final class NearlineServicesExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private static final Namespace NAMESPACE = Namespace.create(NearlineServicesExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        Set<Service> needed = declaredServices(context);
        RunServices run = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(RunServices.class, key -> new RunServices(ServicesScript.locate()), RunServices.class);
        ServiceEndpoints endpoints = run.ensureUp(needed);
        TestServices services = TestServices.create(endpoints, needed, context.getRequiredTestClass().getSimpleName());
        context.getStore(NAMESPACE).put(TestServices.class, services);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        TestServices services = context.getStore(NAMESPACE).remove(TestServices.class, TestServices.class);
        if (services != null) {
            services.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == TestServices.class || type == ServiceEndpoints.class || type == ServicesScript.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == ServicesScript.class) {
            return context.getRoot().getStore(NAMESPACE).get(RunServices.class, RunServices.class).script;
        }
        TestServices services = context.getStore(NAMESPACE).get(TestServices.class, TestServices.class);
        return type == TestServices.class ? services : services.endpoints();
    }

    private static Set<Service> declaredServices(ExtensionContext context) {
        return AnnotationSupport.findAnnotation(context.getRequiredTestClass(), RealServices.class)
                .map(annotation -> annotation.value().length == 0
                        ? EnumSet.noneOf(Service.class)
                        : EnumSet.copyOf(List.of(annotation.value())))
                .orElseGet(() -> EnumSet.allOf(Service.class));
    }

    /** Run-wide state: which services this run started, so that only those are stopped at its end. */
    private static final class RunServices implements ExtensionContext.Store.CloseableResource {

        private final ServicesScript script;
        private final Set<Service> startedHere = EnumSet.noneOf(Service.class);
        private ServiceEndpoints endpoints;

        RunServices(ServicesScript script) {
            this.script = script;
        }

        synchronized ServiceEndpoints ensureUp(Set<Service> needed) {
            if (endpoints == null) {
                endpoints = ServiceEndpoints.fromSettings(script.settings());
            }
            Set<Service> down = EnumSet.noneOf(Service.class);
            script.status(needed).forEach((service, up) -> {
                if (!up) {
                    down.add(service);
                }
            });
            if (!down.isEmpty()) {
                startedHere.addAll(down);
                script.up(down).requireSuccess();
            }
            return endpoints;
        }

        @Override
        public synchronized void close() {
            if (!startedHere.isEmpty() && !Boolean.parseBoolean(System.getenv("NEARLINE_KEEP_SERVICES"))) {
                script.down(startedHere);
            }
        }
    }
}
